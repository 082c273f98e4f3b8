import { IsEmail, IsOptional, IsString } from 'class-validator';

export class UserProfile {
  @IsString()
  id!: string;

  @IsString()
  name!: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsString()
  department?: string;
}
